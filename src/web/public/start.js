/*
 * The first part of the complaints chat, run before Web Chat's large bundle has loaded: it gets
 * the conversation going at once (a token, and the conversation started, or the tab's saved one
 * rejoined) and shows the bot's first message in plain HTML while the bundle loads and runs,
 * which on a slow device takes a second or more. Its buttons work too: a choice is sent straight
 * to the conversation, and Web Chat shows it when it takes over. app.js then renders Web Chat into
 * the same element with the same session.
 *
 * It also carries the Markdown renderer Web Chat is given: only what the bot writes (bold,
 * paragraphs, line breaks, lists, backslash escapes), with every other character shown as typed,
 * so nothing a person wrote can become a link, an image or HTML when the bot repeats it.
 */
(function () {
  'use strict';

  var STORAGE_KEY = 'complaints-chat-session';
  var script = document.currentScript;
  var host = document.querySelector('[data-complaints-chat]');
  if (!host || !script || !window.fetch || !window.Promise) return;

  /*
   * Web Chat's bundle keeps the page busy for a second or more while it runs, so it is loaded
   * (preloaded by the page, run from here) only once the first message is showing, or when there
   * is nothing to show first; app.js after it.
   */
  var loading = null;
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement('script');
      element.src = src;
      element.onload = resolve;
      element.onerror = reject;
      document.body.appendChild(element);
    });
  }
  function loadWebChat() {
    loading =
      loading ||
      loadScript(script.getAttribute('data-webchat')).then(function () {
        return loadScript(script.getAttribute('data-app'));
      });
    return loading;
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (character) {
      return '&#' + character.charCodeAt(0) + ';';
    });
  }

  /* One line: backslash escapes as their character, **bold** where a pair closes, the rest as typed. */
  function inline(line) {
    var parts = [];
    var bold = [];
    for (var index = 0; index < line.length; index += 1) {
      var character = line.charAt(index);
      if (character === '\\' && index + 1 < line.length && /[!-/:-@[-`{-~]/.test(line.charAt(index + 1))) {
        parts.push(escapeHtml(line.charAt(index + 1)));
        index += 1;
      } else if (character === '*' && line.charAt(index + 1) === '*') {
        bold.push(parts.length);
        parts.push('**');
        index += 1;
      } else {
        parts.push(escapeHtml(character));
      }
    }
    /* Pairs become <strong>; an unpaired ** stays as typed. */
    for (var pair = 0; pair + 1 < bold.length; pair += 2) {
      parts[bold[pair]] = '<strong>';
      parts[bold[pair + 1]] = '</strong>';
    }
    return parts.join('');
  }

  function block(paragraph) {
    var lines = paragraph.split('\n');
    if (
      lines.every(function (line) {
        return /^- /.test(line);
      })
    ) {
      return (
        '<ul>' +
        lines
          .map(function (line) {
            return '<li>' + inline(line.slice(2)) + '</li>';
          })
          .join('') +
        '</ul>'
      );
    }
    if (
      lines.every(function (line) {
        return /^\d+\. /.test(line);
      })
    ) {
      return (
        '<ol>' +
        lines
          .map(function (line) {
            return '<li>' + inline(line.replace(/^\d+\. /, '')) + '</li>';
          })
          .join('') +
        '</ol>'
      );
    }
    return '<p>' + lines.map(inline).join('<br>') + '</p>';
  }

  /* Markdown as the bot writes it, to HTML that is safe by construction. */
  function markdown(text) {
    return String(text || '')
      .replace(/\r\n?/g, '\n')
      .split(/\n{2,}/)
      .filter(function (paragraph) {
        return paragraph.trim() !== '';
      })
      .map(block)
      .join('');
  }

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

  function request(method, url, token, body) {
    var headers = { Accept: 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    if (body) headers['Content-Type'] = 'application/json';
    return fetch(url, { method: method, headers: headers, credentials: 'omit', body: body ? JSON.stringify(body) : undefined }).then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.status === 204 ? {} : response.json();
    });
  }

  /* A fresh token for a saved conversation, or null if it can no longer be rejoined. */
  function rejoin(session) {
    return request('POST', session.domain + '/tokens/refresh', session.token).then(
      function (refreshed) {
        return { token: refreshed.token, domain: session.domain, conversationId: session.conversationId, userId: session.userId, resumed: true };
      },
      function () {
        return null;
      }
    );
  }

  /* A new conversation, started here (so the bot's welcome is on its way while Web Chat loads), then rejoined by Web Chat. */
  function startNew() {
    return request('POST', '/api/directline/token').then(function (session) {
      return request('POST', session.domain + '/conversations', session.token).then(function (started) {
        return {
          token: started.token || session.token,
          domain: session.domain,
          conversationId: started.conversationId || session.conversationId,
          userId: session.userId,
          resumed: true,
          fresh: true,
        };
      });
    });
  }

  /* Web Chat has taken over the element: the early view is gone, and nothing more goes into it. */
  function takenOver() {
    return host.getAttribute('data-chat-ready') === 'true';
  }

  function send(session, text, view) {
    var buttons = view.querySelectorAll('button');
    for (var index = 0; index < buttons.length; index += 1) buttons[index].disabled = true;
    view.querySelector('.chat-early__status').textContent = 'Sending “' + text + '”…';
    return request('POST', session.domain + '/conversations/' + encodeURIComponent(session.conversationId) + '/activities', session.token, {
      type: 'message',
      from: { id: session.userId },
      text: text,
      locale: 'en-GB',
      channelData: { clientActivityID: 'early-' + Date.now().toString(36) },
    });
  }

  /* The bot's first message, as plain HTML with working buttons, until Web Chat is ready. */
  function show(session, activity) {
    if (takenOver()) return;
    var view = document.createElement('div');
    view.className = 'chat-early';
    view.setAttribute('data-chat-early', '');
    var message = document.createElement('div');
    message.className = 'chat-early__message';
    message.setAttribute('role', 'log');
    message.setAttribute('aria-live', 'polite');
    message.innerHTML = markdown(activity.text);
    view.appendChild(message);
    var actions = (activity.suggestedActions && activity.suggestedActions.actions) || [];
    if (actions.length > 0) {
      var bar = document.createElement('div');
      bar.className = 'chat-early__actions';
      bar.setAttribute('role', 'toolbar');
      bar.setAttribute('aria-label', 'Suggested actions');
      actions.forEach(function (action) {
        var button = document.createElement('button');
        button.type = 'button';
        button.textContent = action.title || action.value;
        button.addEventListener('click', function () {
          send(session, String(action.value || action.title), view).catch(function () {
            view.querySelector('.chat-early__status').textContent = 'That did not send. Please try again when the chat has loaded.';
          });
        });
        bar.appendChild(button);
      });
      view.appendChild(bar);
    }
    var status = document.createElement('p');
    status.className = 'chat-early__status';
    status.textContent = 'The chat is loading…';
    view.appendChild(status);
    host.appendChild(view);
  }

  /* Waits for the bot's first message in a conversation just started (a few seconds at most). */
  function firstMessage(session) {
    var url = session.domain + '/conversations/' + encodeURIComponent(session.conversationId) + '/activities';
    var tries = 0;
    function poll() {
      if (takenOver() || tries >= 60) return null;
      tries += 1;
      return request('GET', url, session.token).then(function (page) {
        var found = (page.activities || []).filter(function (activity) {
          return activity.type === 'message' && activity.text && (!activity.from || activity.from.id !== session.userId);
        })[0];
        return (
          found ||
          new Promise(function (resolve) {
            window.setTimeout(resolve, 50);
          }).then(poll)
        );
      });
    }
    return poll();
  }

  var saved = load();
  var session = (saved ? rejoin(saved) : Promise.resolve(null)).then(function (rejoined) {
    return rejoined || startNew();
  });
  window.ComplaintsChat = { session: session, markdown: markdown, save: save };
  session
    .then(function (started) {
      save(started);
      if (!started.fresh) return loadWebChat();
      // Shown first, then Web Chat; if the message is slow, Web Chat starts anyway.
      window.setTimeout(loadWebChat, 2000);
      return firstMessage(started)
        .then(
          function (activity) {
            if (activity) show(started, activity);
          },
          function () {
            /* Web Chat will show it. */
          }
        )
        .then(function () {
          // One frame for the message to be painted before the bundle takes the page.
          window.requestAnimationFrame(function () {
            window.setTimeout(loadWebChat, 0);
          });
        });
    }, loadWebChat)
    .catch(function () {
      /* app.js reports what failed. */
    });
})();
