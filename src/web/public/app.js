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

  function render(session) {
    var options = { token: session.token, domain: session.domain, webSocket: true };
    if (session.resumed) options.conversationId = session.conversationId;
    var directLine = window.WebChat.createDirectLine(options);
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
    var store = window.WebChat.createStore({}, function (api) {
      document.addEventListener('visibilitychange', function () {
        confirm(api.dispatch);
      });
      return function (next) {
        return function (action) {
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

  function fail() {
    var desk = host.getAttribute('data-service-desk');
    var message = document.createElement('p');
    message.className = 'chat-error';
    message.setAttribute('role', 'alert');
    message.textContent =
      'Sorry, the chat could not start just now. Please try again in a few minutes' + (desk ? ', or call the service desk on ' + desk + '.' : '.');
    host.appendChild(message);
  }

  start.session.then(render).catch(fail);
})();
