/*
 * Adds the complaints chat to another site with one script tag:
 *
 *   <script src="https://BOT-ADDRESS/widget/embed.js" async></script>
 *
 * By default a "Make or check on a complaint" button appears at the bottom right and opens the
 * chat in a panel. To place the chat in the page instead, give the script a target:
 *
 *   <div id="complaints-chat"></div>
 *   <script src="https://BOT-ADDRESS/widget/embed.js" data-target="#complaints-chat" async></script>
 *
 * The chat runs in a frame served by the bot, so it needs nothing else from the host site.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src, window.location.href).origin;
  var label = script.getAttribute('data-label') || 'Make or check on a complaint';

  function frame() {
    var element = document.createElement('iframe');
    element.src = origin + '/widget/frame.html';
    element.title = 'Complaints chat';
    element.setAttribute('allow', 'clipboard-write');
    element.style.cssText = 'display:block;width:100%;height:100%;border:0;background:#fff;';
    return element;
  }

  var targetSelector = script.getAttribute('data-target');
  if (targetSelector) {
    var target = document.querySelector(targetSelector);
    if (!target) return;
    var inline = frame();
    inline.style.minHeight = '480px';
    target.appendChild(inline);
    return;
  }

  var id = 'complaints-chat-panel';
  var button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', id);
  button.style.cssText =
    'position:fixed;right:16px;bottom:16px;z-index:2147483000;min-height:48px;padding:10px 18px;' +
    'font:700 18px/1.2 Arial,Helvetica,sans-serif;color:#fff;background:#1d70b8;border:2px solid #0b0c0c;border-radius:4px;cursor:pointer;';

  var panel = document.createElement('div');
  panel.id = id;
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', 'Complaints chat');
  panel.hidden = true;
  panel.style.cssText =
    'position:fixed;right:16px;bottom:80px;z-index:2147483000;width:min(420px,calc(100vw - 32px));' +
    'height:min(640px,calc(100vh - 112px));border:2px solid #0b0c0c;background:#fff;box-shadow:0 2px 12px rgba(0,0,0,.3);';

  var close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Close chat';
  close.style.cssText =
    'display:block;width:100%;min-height:44px;font:700 16px Arial,Helvetica,sans-serif;' +
    'color:#0b0c0c;background:#f3f2f1;border:0;border-bottom:2px solid #0b0c0c;cursor:pointer;';

  var body = null;
  function open() {
    if (!body) {
      body = frame();
      body.style.height = 'calc(100% - 44px)';
      panel.appendChild(body);
    }
    panel.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    body.focus();
  }
  function shut() {
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  }
  button.addEventListener('click', function () {
    if (panel.hidden) open();
    else shut();
  });
  close.addEventListener('click', shut);
  panel.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') shut();
  });
  panel.appendChild(close);
  document.body.appendChild(panel);
  document.body.appendChild(button);
})();
