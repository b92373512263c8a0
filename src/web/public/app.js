/*
 * The complaints chat widget: starts a conversation (or, after a page refresh, rejoins the one
 * in this tab's session storage, with its history) and shows it with Bot Framework Web Chat.
 * The token comes from the bot's own endpoint; in Azure mode that endpoint exchanges the Direct
 * Line secret on the server, so no secret ever reaches this page.
 */
(function () {
  'use strict';

  var STORAGE_KEY = 'complaints-chat-session';
  var host = document.querySelector('[data-complaints-chat]');
  if (!host || !window.WebChat) return;

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
    transcriptActivityVisualKeyboardIndicatorColor: '#0b0c0c'
  };

  function load() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || 'null');
      return saved && saved.token && saved.domain && saved.conversationId && saved.userId ? saved : null;
    } catch (error) {
      return null;
    }
  }

  function save(session) {
    try {
      window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    } catch (error) {
      /* Private browsing may refuse storage: the chat still works, it just won't survive a refresh. */
    }
  }

  function postJson(url, token) {
    var headers = { Accept: 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    return fetch(url, { method: 'POST', headers: headers, credentials: 'omit' }).then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    });
  }

  /* A fresh token for a saved conversation, or null if it can no longer be rejoined. */
  function rejoin(session) {
    return postJson(session.domain + '/tokens/refresh', session.token).then(function (refreshed) {
      return { token: refreshed.token, domain: session.domain, conversationId: session.conversationId, userId: session.userId, resumed: true };
    }, function () {
      return null;
    });
  }

  function startNew() {
    return postJson('/api/directline/token').then(function (session) {
      return { token: session.token, domain: session.domain, conversationId: session.conversationId, userId: session.userId, resumed: false };
    });
  }

  function render(session) {
    save(session);
    var options = { token: session.token, domain: session.domain, webSocket: true };
    if (session.resumed) options.conversationId = session.conversationId;
    var directLine = window.WebChat.createDirectLine(options);
    /* Direct Line refreshes its token as it goes; keep the latest so a refresh can rejoin. */
    var keep = function () {
      if (directLine.token && directLine.token !== session.token) {
        session.token = directLine.token;
        save(session);
      }
    };
    window.setInterval(keep, 60000);
    window.addEventListener('pagehide', keep);
    window.WebChat.renderWebChat({ directLine: directLine, userID: session.userId, locale: 'en-GB', styleOptions: styleOptions }, host);
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
    message.textContent = 'Sorry, the chat could not start just now. Please try again in a few minutes' + (desk ? ', or call the service desk on ' + desk + '.' : '.');
    host.appendChild(message);
  }

  var saved = load();
  (saved ? rejoin(saved) : Promise.resolve(null))
    .then(function (session) { return session || startNew(); })
    .then(render)
    .catch(fail);
})();
