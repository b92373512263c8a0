/*
 * The complaints chat widget: shows the conversation start.js began (a new one, or after a page
 * refresh the one in this tab's session storage, with its history) with Bot Framework Web Chat.
 * The token comes from the bot's own endpoint; in Azure mode that endpoint exchanges the Direct
 * Line secret on the server, so no secret ever reaches this page.
 */
(function () {
  'use strict';

  var host = document.querySelector('[data-complaints-chat]');
  var start = window.ComplaintsChat;
  if (!host || !window.WebChat || !start) return;

  /* Plain and high contrast, with large targets (44px and more). */
  var styleOptions = {
    accent: '#1d70b8',
    primaryFont: 'Arial, Helvetica, sans-serif',
    fontSizeSmall: '90%',
    subtle: '#505a5f',
    timestampColor: '#505a5f',
    bubbleBackground: '#f3f2f1',
    bubbleTextColor: '#0b0c0c',
    bubbleBorderColor: '#505a5f',
    bubbleBorderWidth: 1,
    bubbleBorderRadius: 4,
    bubbleFromUserBackground: '#1d70b8',
    bubbleFromUserTextColor: '#ffffff',
    bubbleFromUserBorderColor: '#1d70b8',
    bubbleFromUserBorderRadius: 4,
    botAvatarInitials: 'C',
    userAvatarInitials: 'You',
    hideUploadButton: true,
    sendBoxHeight: 56,
    sendBoxTextColor: '#0b0c0c',
    sendBoxPlaceholderColor: '#505a5f',
    sendBoxBorderTop: 'solid 2px #0b0c0c',
    sendBoxButtonColor: '#1d70b8',
    sendBoxButtonColorOnFocus: '#0b0c0c',
    sendBoxButtonColorOnHover: '#003078',
    suggestedActionLayout: 'flow',
    suggestedActionHeight: 44,
    suggestedActionBorderColor: '#1d70b8',
    suggestedActionBorderWidth: 2,
    suggestedActionBorderRadius: 4,
    suggestedActionTextColor: '#1d70b8',
    suggestedActionBackgroundColorOnHover: '#1d70b8',
    suggestedActionTextColorOnHover: '#ffffff',
    transcriptVisualKeyboardIndicatorColor: '#0b0c0c',
    transcriptActivityVisualKeyboardIndicatorColor: '#0b0c0c',
  };

  /* Web Chat takes over from start.js's early view once it shows the conversation (or after a few seconds whatever happens). */
  function takeOver(view) {
    if (host.getAttribute('data-chat-ready') === 'true') return;
    host.setAttribute('data-chat-ready', 'true');
    var early = host.querySelector('[data-chat-early]');
    if (early) early.parentNode.removeChild(early);
    view.hidden = false;
  }

  /*
   * Storage outages. A message that could not be sent (the server answers 503 while it cannot
   * save) is kept here and sent again, with the same client activity id, once the server says it
   * can save again (Web Chat's own retry would give it a new id, and a message that reached the
   * server after all would then be taken twice); meanwhile a banner says so plainly, and what
   * the person types stays in the box instead of being sent into the outage.
   */
  var outage = { on: false, banner: null, pending: {}, retryable: {}, waiting: [], timer: null, post: null };
  function showOutage(message, role) {
    if (!outage.banner) {
      outage.banner = document.createElement('div');
      outage.banner.className = 'chat-outage';
      outage.banner.setAttribute('data-chat-outage', '');
      host.insertBefore(outage.banner, host.firstChild);
    }
    outage.banner.setAttribute('role', role);
    outage.banner.textContent = message;
    outage.banner.hidden = false;
  }
  function endOutage() {
    outage.on = false;
    var resend = outage.waiting.splice(0);
    if (outage.banner) {
      showOutage(resend.length > 0 ? 'We’re back. Sending your message now.' : 'We’re back. You can carry on.', 'status');
      window.setTimeout(function () {
        if (!outage.on && outage.banner) outage.banner.hidden = true;
      }, 6000);
    }
    resend.forEach(function (activity) {
      outage.post(activity).catch(function (error) {
        /* Refused for good (too long, too fast, the chat full): it stays marked as not sent. */
        if (!error || error.retryable !== false) postFailed(activity, true);
      });
    });
  }
  function checkStatus() {
    window.clearTimeout(outage.timer);
    return fetch('/api/chat-status', { headers: { Accept: 'application/json' }, credentials: 'omit', cache: 'no-store' })
      .then(function (response) {
        if (response.ok) return endOutage();
        var wait = Math.min(30, Math.max(2, Number(response.headers.get('Retry-After')) || 5));
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (body) {
            outage.on = true;
            showOutage((body && body.error && body.error.message) || 'We can’t send messages just now because of a problem on our side.', 'alert');
            outage.timer = window.setTimeout(checkStatus, wait * 1000);
          });
      })
      .catch(function () {
        /* The server itself cannot be reached: keep asking. */
        outage.on = true;
        showOutage('We can’t reach the chat just now. What you type stays in the box, and the chat carries on by itself when we’re back.', 'alert');
        outage.timer = window.setTimeout(checkStatus, 5000);
      });
  }
  /* A message that could not be saved, to send again once the server can; `later` when sending it again just failed too (so wait before asking). */
  function postFailed(activity, later) {
    if (!activity || activity.type !== 'message') return;
    var id = activity.channelData && activity.channelData.clientActivityID;
    var known = outage.waiting.some(function (waiting) {
      return waiting.channelData && waiting.channelData.clientActivityID === id;
    });
    if (!known) outage.waiting.push(activity);
    if (outage.on) return;
    window.clearTimeout(outage.timer);
    if (later) outage.timer = window.setTimeout(checkStatus, 5000);
    else checkStatus();
  }
  /* Web Chat's actions about posts: each post's activity (by client id) while pending, and the ones that failed. */
  function watchPosts(action) {
    var meta = action.meta || {};
    if (action.type === 'DIRECT_LINE/POST_ACTIVITY_PENDING' && meta.clientActivityID) outage.pending[meta.clientActivityID] = action.payload.activity;
    if (action.type === 'DIRECT_LINE/POST_ACTIVITY_FULFILLED') delete outage.pending[meta.clientActivityID];
    if (action.type === 'DIRECT_LINE/POST_ACTIVITY_REJECTED' && meta.clientActivityID) {
      /* Only a post the server could not save (5xx, or not reached) is sent again; one it refused stays marked as not sent. */
      if (outage.retryable[meta.clientActivityID]) postFailed(outage.pending[meta.clientActivityID]);
      delete outage.retryable[meta.clientActivityID];
      delete outage.pending[meta.clientActivityID];
    }
  }

  function render(session) {
    var options = { token: session.token, domain: session.domain, webSocket: true };
    if (session.resumed) options.conversationId = session.conversationId;
    var directLine = window.WebChat.createDirectLine(options);
    /*
     * The Direct Line client answers a post the server refused with 5xx (or could not reach) as
     * if it had gone, with the id "retry", and Web Chat then waits minutes for it to echo back.
     * Told it failed, Web Chat marks it at once, and the outage handling above takes it from there.
     */
    var postActivity = directLine.postActivity.bind(directLine);
    directLine.postActivity = function (activity) {
      var posted = postActivity(activity);
      return {
        subscribe: function (observer) {
          return posted.subscribe({
            next: function (id) {
              if (id === 'retry') {
                var clientId = activity && activity.channelData && activity.channelData.clientActivityID;
                if (clientId) outage.retryable[clientId] = true;
                observer.error(new Error('The message was not saved'));
              } else observer.next(id);
            },
            error: function (error) {
              observer.error(error);
            },
            complete: function () {
              if (observer.complete) observer.complete();
            },
          });
        },
      };
    };
    /* Direct Line refreshes its token as it goes; keep the latest so a refresh can rejoin. */
    var keep = function () {
      if (directLine.token && directLine.token !== session.token) {
        session.token = directLine.token;
        start.save({ token: session.token, domain: session.domain, conversationId: session.conversationId, userId: session.userId });
      }
    };
    window.setInterval(keep, 60000);
    window.addEventListener('pagehide', keep);
    var view = document.createElement('div');
    view.className = 'chat-view';
    view.hidden = host.querySelector('[data-chat-early]') !== null;
    host.appendChild(view);
    /*
     * A message from staff counts as seen only once this page has shown it: its id is confirmed
     * to the bot when it arrives while the page is in view, or when the page next comes into view.
     * Unconfirmed, it goes by email or text later (if the person gave an address or number).
     */
    var unconfirmed = [];
    var confirmed = {};
    var confirm = function (dispatch) {
      if (document.visibilityState !== 'visible') return;
      while (unconfirmed.length > 0) {
        var id = unconfirmed.shift();
        if (confirmed[id]) continue;
        confirmed[id] = true;
        dispatch({ type: 'WEB_CHAT/SEND_EVENT', payload: { name: 'message-seen', value: { id: id } } });
      }
    };
    /* A message sent again as it was first sent, with its own client activity id, so the server takes it once. */
    outage.post = function (activity) {
      var url = session.domain + '/conversations/' + encodeURIComponent(session.conversationId) + '/activities';
      return fetch(url, {
        method: 'POST',
        headers: { Authorization: 'Bearer ' + (directLine.token || session.token), 'Content-Type': 'application/json' },
        credentials: 'omit',
        body: JSON.stringify({
          type: 'message',
          text: activity.text,
          locale: activity.locale,
          channelData: { clientActivityID: activity.channelData.clientActivityID },
        }),
      })
        .then(function (response) {
          if (!response.ok) {
            var refused = new Error('HTTP ' + response.status);
            refused.retryable = response.status >= 500;
            throw refused;
          }
          return response.json();
        })
        .then(function (posted) {
          /* Web Chat keeps a failed mark through the message's echo: told it went, it shows it as sent. */
          store.dispatch({
            type: 'DIRECT_LINE/POST_ACTIVITY_FULFILLED',
            meta: { clientActivityID: activity.channelData.clientActivityID, method: 'keyboard' },
            payload: { activity: Object.assign({}, activity, { id: posted.id }) },
          });
        });
    };
    var store = window.WebChat.createStore({}, function (api) {
      document.addEventListener('visibilitychange', function () {
        confirm(api.dispatch);
      });
      return function (next) {
        return function (action) {
          watchPosts(action);
          /* While we cannot save, what is typed stays in the box (the banner says why). */
          if (action.type === 'WEB_CHAT/SUBMIT_SEND_BOX' && outage.on) return undefined;
          if (action.type === 'DIRECT_LINE/INCOMING_ACTIVITY') {
            window.setTimeout(function () {
              takeOver(view);
            }, 0);
            var activity = action.payload && action.payload.activity;
            var messageId = activity && activity.channelData && activity.channelData.complaintsMessageId;
            if (typeof messageId === 'string' && activity.from && activity.from.id !== session.userId) {
              unconfirmed.push(messageId);
              window.setTimeout(function () {
                confirm(api.dispatch);
              }, 0);
            }
          }
          return next(action);
        };
      };
    });
    window.setTimeout(function () {
      takeOver(view);
    }, 5000);
    window.WebChat.renderWebChat(
      { directLine: directLine, store: store, userID: session.userId, locale: 'en-GB', styleOptions: styleOptions, renderMarkdown: start.markdown },
      view
    );
    if (!view.hidden) host.setAttribute('data-chat-ready', 'true');
    if (host.hasAttribute('data-autofocus')) {
      window.setTimeout(function () {
        var box = host.querySelector('input[type="text"], textarea');
        if (box) box.focus();
      }, 0);
    }
  }

  function fail(error) {
    var desk = host.getAttribute('data-service-desk');
    /* Only an outage (the server could not save, or was not reached) is waited out; a refusal is not retried. */
    var outageNow = Boolean(error && (/^HTTP 5\d\d$/.test(error.message || '') || error.name === 'TypeError'));
    var message = document.createElement('p');
    message.className = 'chat-error';
    message.setAttribute('role', 'alert');
    message.textContent =
      'Sorry, the chat could not start just now' +
      (outageNow ? ' because of a problem on our side. It will start by itself when we’re back' : '. Please try again in a few minutes') +
      (desk ? ', or you can call the service desk on ' + desk + '.' : '.');
    host.appendChild(message);
    if (!outageNow) return;
    /* Nothing has been typed yet, so starting again is a reload, once the server can save again. */
    var again = function () {
      fetch('/api/chat-status', { credentials: 'omit', cache: 'no-store' })
        .then(function (response) {
          if (response.ok) window.location.reload();
          else window.setTimeout(again, Math.min(30, Math.max(2, Number(response.headers.get('Retry-After')) || 5)) * 1000);
        })
        .catch(function () {
          window.setTimeout(again, 5000);
        });
    };
    window.setTimeout(again, 5000);
  }

  start.session.then(render).catch(fail);
})();
