/*
 * The staff tab in Teams: the queue's views, search, a case in full and its decisions. It asks
 * Teams (through @microsoft/teams-js) for its context (theme, locale) and for a single sign-on
 * token, which every call to /api/tab carries; the server checks it and the staff roster. Pages
 * are built with textContent only: nothing a complainant wrote can become markup here.
 */
(function () {
  'use strict';

  const teams = window.microsoftTeams;
  const status = document.getElementById('status');
  const workspace = document.getElementById('workspace');
  const state = { view: 'open', page: 1, pages: 1, token: null, reference: null };

  /** Shows a line in the status area (read out by screen readers). */
  function say(text) {
    status.textContent = text;
    status.hidden = text === '';
  }

  /** Teams' theme as the page's colours: default, dark or contrast. */
  function applyTheme(theme) {
    const root = document.documentElement;
    root.classList.remove('theme-dark', 'theme-contrast');
    if (theme === 'dark') root.classList.add('theme-dark');
    if (theme === 'contrast') root.classList.add('theme-contrast');
  }

  /** An element with text (never markup) and attributes. */
  function el(name, text, attributes) {
    const element = document.createElement(name);
    if (text !== undefined && text !== null) element.textContent = String(text);
    for (const [key, value] of Object.entries(attributes || {})) element.setAttribute(key, value);
    return element;
  }

  /** Calls the tab's API with the sign-on token; a refusal is said plainly. */
  async function api(path, options) {
    const response = await fetch(path, {
      method: (options && options.method) || 'GET',
      headers: Object.assign({ Authorization: 'Bearer ' + state.token }, options && options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      body: options && options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    if (response.status === 401 || response.status === 403) {
      throw new Error(response.status === 403 ? 'Only the complaints team can use this tab.' : 'Teams could not confirm who you are. Reopen the tab.');
    }
    const body = await response.json().catch(function () {
      return null;
    });
    if (!response.ok) throw new Error((body && body.error && body.error.message) || 'Something went wrong on our side. Please try again.');
    return body;
  }

  /** What is owed, in words. */
  const OWED = {
    acknowledgement: 'Acknowledgement',
    response: 'Response',
    meeting: 'Meeting',
    report: 'Report',
    'explanation-duty': 'Explanation of the delay',
  };

  function deadlineText(row) {
    if (row.due === null) return 'Nothing owed';
    const what = OWED[row.owed] || 'Response';
    if (row.overdue) return what + ' overdue since ' + row.due + ' (' + -row.workingDaysLeft + ' working days)';
    return what + ' due ' + row.due + ' (' + (row.workingDaysLeft === 0 ? 'today' : row.workingDaysLeft + ' working days left') + ')';
  }

  /** The table's rows for a page of the queue or a search. */
  function showRows(rows, summary) {
    const body = document.querySelector('#queue tbody');
    body.replaceChildren();
    for (const row of rows) {
      const tr = el('tr');
      const open = el('button', row.reference, { type: 'button', 'data-reference': row.reference, 'aria-label': 'Open case ' + row.reference });
      open.addEventListener('click', function () {
        openCase(row.reference.replace(/-/g, '')).catch(report);
      });
      const reference = el('td');
      reference.append(open);
      const deadline = el('td', deadlineText(row));
      if (row.overdue) deadline.className = 'overdue';
      tr.append(
        reference,
        el('td', row.procedureName + ': ' + row.stageName),
        el('td', row.statusWords),
        el('td', row.handler || 'Nobody yet'),
        deadline,
        el('td', row.flags.join(', ')),
      );
      body.append(tr);
    }
    document.getElementById('cases-summary').textContent = summary;
  }

  async function showQueue() {
    const query = new URLSearchParams({ view: state.view, page: String(state.page) });
    const page = await api('/api/tab/queue?' + query.toString());
    state.page = page.page;
    state.pages = page.pages;
    showRows(page.rows, page.total + ' cases' + (page.pages > 1 ? ', page ' + page.page + ' of ' + page.pages : '') + '.');
    document.getElementById('previous').disabled = page.page <= 1;
    document.getElementById('next').disabled = page.page >= page.pages;
    for (const button of document.querySelectorAll('[data-view]')) button.setAttribute('aria-pressed', String(button.dataset.view === state.view));
  }

  /** A field of the case, shown only when it has something to say. */
  function field(list, label, value) {
    if (value === null || value === undefined || value === '') return;
    list.append(el('dt', label), el('dd', value));
  }

  /** One of the card's actions as a button or a small form; the same verbs, through the same transitions. */
  function actionControl(action, full) {
    if (action.type === 'Action.Execute') {
      const button = el('button', action.title, { type: 'button' });
      button.addEventListener('click', function () {
        act(full, action.verb, action.data || {}).catch(report);
      });
      return button;
    }
    if (action.type === 'Action.OpenUrl') return el('a', action.title, { href: action.url, target: '_blank', rel: 'noopener' });
    const details = el('details');
    details.append(el('summary', action.title));
    const form = el('form');
    const submit = (action.card.actions || []).find(function (each) {
      return each.type === 'Action.Execute';
    });
    if (!submit) {
      // A group of further actions ("More actions" on the card): shown as they are.
      const inner = el('div', null, { class: 'actions' });
      for (const each of action.card.actions || []) inner.append(actionControl(each, full));
      details.append(inner);
      return details;
    }
    for (const input of action.card.body || []) {
      if (!input.id) {
        form.append(el('p', input.text || ''));
        continue;
      }
      const name = input.id.slice(input.id.indexOf(':') + 1);
      const id = 'input-' + input.id.replace(/[^A-Za-z0-9-]/g, '-');
      const label = el('label', input.label || name, { for: id });
      let control;
      if (input.type === 'Input.ChoiceSet') {
        control = el('select', null, { id: id, name: name });
        control.append(el('option', 'Choose…', { value: '' }));
        for (const choice of input.choices || []) control.append(el('option', choice.title, { value: choice.value }));
        if (input.value) control.value = input.value;
      } else if (input.type === 'Input.Date') {
        control = el('input', null, { id: id, name: name, type: 'date' });
        if (input.min) control.min = input.min;
        if (input.max) control.max = input.max;
      } else {
        control = el(input.isMultiline ? 'textarea' : 'input', null, { id: id, name: name });
        if (input.maxLength) control.maxLength = input.maxLength;
        if (input.isMultiline) control.rows = 4;
      }
      if (input.isRequired) control.required = true;
      form.append(label, control);
    }
    if (submit.verb === 'reply') {
      // A message from the tab goes at once (a reply in the thread is held with Undo): its writer says so first.
      const id = 'confirm-' + submit.verb;
      const check = el('input', null, { id: id, type: 'checkbox', required: 'required', name: 'confirm-send' });
      const label = el('label', ' I have read it through: send it to the complainant now (it cannot be taken back)', { for: id });
      label.prepend(check);
      form.append(label);
    }
    const button = el('button', submit.title, { type: 'submit', class: 'primary' });
    form.append(button);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      const inputs = {};
      for (const [key, value] of new FormData(form).entries()) if (typeof value === 'string' && value !== '' && key !== 'confirm-send') inputs[key] = value;
      // One press, one request: a second press while the first is on its way does nothing.
      button.disabled = true;
      act(full, submit.verb, Object.assign({}, submit.data || {}, inputs))
        .catch(report)
        .finally(function () {
          button.disabled = false;
        });
    });
    details.append(form);
    return details;
  }

  function showCase(full, notice) {
    const section = document.getElementById('case');
    const body = document.getElementById('case-body');
    document.getElementById('case-heading').textContent = 'Case ' + full.row.reference + ': ' + full.row.procedureName + ', ' + full.row.stageName;
    const noticeLine = document.getElementById('case-notice');
    noticeLine.textContent = notice ? notice.text : '';
    noticeLine.className = 'notice ' + (notice ? notice.tone : '');
    body.replaceChildren();
    const facts = el('dl');
    field(facts, 'Status', full.row.statusWords);
    field(facts, 'Handler', full.row.handler || 'Nobody yet');
    field(facts, 'Deadline', deadlineText(full.row));
    field(facts, 'Flags', full.row.flags.join(', '));
    field(
      facts,
      'Complainant',
      full.complainant.name +
        ' (' +
        full.complainant.relationship +
        (full.complainant.relationshipDetail ? ': ' + full.complainant.relationshipDetail : '') +
        ')',
    );
    if (full.personAffected) field(facts, 'About', [full.personAffected.name, full.personAffected.description].filter(Boolean).join(', '));
    field(facts, 'What happened', full.whatHappened);
    field(facts, 'When, in their words', full.when.said);
    field(facts, 'What they want', full.outcomeWanted);
    field(facts, 'Email', full.contact.email);
    field(facts, 'Phone', full.contact.phone);
    field(facts, 'Prefers', full.contact.preferred);
    field(facts, 'Adjustments', full.needs.adjustments);
    field(facts, 'Safeguarding words', full.safeguardingNotes.join('\n'));
    body.append(facts);
    if (full.threadLink) {
      const link = el('p');
      link.append(el('a', 'Open its thread in the channel', { href: full.threadLink, target: '_blank', rel: 'noopener' }));
      body.append(link);
    }

    body.append(el('h3', 'What can be done'));
    const actions = el('div', null, { class: 'actions' });
    for (const action of full.actions) actions.append(actionControl(action, full));
    body.append(actions);

    body.append(el('h3', 'Deadlines'));
    const deadlines = el('table');
    const head = el('tr');
    for (const title of ['Stage', 'What', 'Due', 'Rule']) head.append(el('th', title, { scope: 'col' }));
    const thead = el('thead');
    thead.append(head);
    deadlines.append(thead);
    const rows = el('tbody');
    for (const deadline of full.deadlines) {
      const tr = el('tr');
      tr.append(
        el('td', deadline.stage),
        el('td', deadline.kind + (deadline.extended ? ' (extended)' : '')),
        el('td', deadline.due),
        el('td', deadline.rule + ' (' + deadline.citation + ')'),
      );
      rows.append(tr);
    }
    deadlines.append(rows);
    body.append(deadlines);

    body.append(el('h3', 'History'));
    const history = el('ol', null, { class: 'history' });
    for (const entry of full.history) {
      const item = el('li');
      item.append(
        el('strong', new Date(entry.at).toLocaleString(document.documentElement.lang || 'en-GB')),
        document.createTextNode(' ' + entry.by + ': ' + entry.summary),
      );
      if (entry.words) item.append(el('div', entry.words));
      history.append(item);
    }
    body.append(history);
    section.hidden = false;
    section.focus();
  }

  async function openCase(reference) {
    state.reference = reference;
    showCase(await api('/api/tab/cases/' + encodeURIComponent(reference)));
  }

  /** Makes one of the card's decisions from the tab; the answer says what happened and shows the case as it is now. */
  async function act(full, verb, data) {
    const inputs = {};
    for (const [key, value] of Object.entries(data)) if (key !== 'reference' && key !== 'state' && key !== 'seen') inputs[key] = String(value);
    const answer = await api('/api/tab/cases/' + encodeURIComponent(state.reference) + '/actions', {
      method: 'POST',
      body: { verb: verb, state: full.state, inputs: inputs, requestId: crypto.randomUUID() },
    });
    showCase(answer.case, answer.notice);
    if (answer.exportLink) {
      // The subject access export: a one-time link (it opens a page that asks before using it up).
      const link = el('a', 'Open the subject access export (one-time link, valid for 10 minutes)', {
        href: answer.exportLink,
        target: '_blank',
        rel: 'noopener noreferrer',
        id: 'export-link',
      });
      document.getElementById('case-notice').append(' ', link);
    }
    await showQueue();
  }

  /** Saves a CSV the API makes (fetched with the token, which a plain link could not carry). */
  async function download(path) {
    const response = await fetch(path, { headers: { Authorization: 'Bearer ' + state.token } });
    if (!response.ok) throw new Error('That file could not be made. Please check what was asked for and try again.');
    const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '');
    const link = el('a', null, { href: URL.createObjectURL(await response.blob()), download: name ? name[1] : 'complaints.csv' });
    document.body.append(link);
    link.click();
    link.remove();
  }

  /** A table of figures: a caption, column headings and rows (screen readers read it as a table). */
  function table(caption, headings, rows) {
    const element = el('table');
    element.append(el('caption', caption));
    const head = el('tr');
    for (const heading of headings) head.append(el('th', heading, { scope: 'col' }));
    const thead = el('thead');
    thead.append(head);
    const body = el('tbody');
    for (const row of rows) {
      const tr = el('tr');
      row.forEach(function (cell, index) {
        tr.append(el(index === 0 ? 'th' : 'td', cell === null ? '–' : cell, index === 0 ? { scope: 'row' } : {}));
      });
      body.append(tr);
    }
    element.append(thead, body);
    return element;
  }

  /**
   * A chart (Chart.js, served by the bot), drawn in the theme's colours. It is a picture of the
   * table beside it, which screen readers read instead; its label says so.
   */
  function chart(title, type, labels, datasets) {
    const figure = el('figure', null, { class: 'chart' });
    const canvas = el('canvas', null, { role: 'img', 'aria-label': title + ': the same figures are in the table that follows' });
    // Chart.js sizes a chart to its container, which must have a height of its own.
    const area = el('div', null, { class: 'chart-area' });
    area.append(canvas);
    figure.append(el('figcaption', title), area);
    if (window.Chart) {
      const colours = getComputedStyle(document.documentElement);
      const accent = colours.getPropertyValue('--accent').trim();
      const text = colours.getPropertyValue('--text').trim();
      new window.Chart(canvas, {
        type: type,
        data: { labels: labels, datasets: datasets.map((dataset) => Object.assign({ backgroundColor: accent, borderColor: accent }, dataset)) },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          plugins: { legend: { labels: { color: text } } },
          scales: { x: { ticks: { color: text } }, y: { ticks: { color: text, precision: 0 }, beginAtZero: true } },
        },
      });
    }
    return figure;
  }

  function figuresQuery() {
    const form = document.getElementById('figures-form');
    return new URLSearchParams({ procedure: form.procedure.value, from: form.from.value, to: form.to.value }).toString();
  }

  async function showFigures() {
    const figures = await api('/api/tab/figures?' + figuresQuery());
    const body = document.getElementById('figures-body');
    body.replaceChildren();
    const marked = function (field, text) {
      return figures.required[field] ? text + ' (required: ' + figures.required[field] + ')' : text;
    };
    const summary = [
      [marked('received', 'Received'), figures.received],
      ['Redirected', figures.redirected],
      ['Withdrawn', figures.withdrawn],
      ['Closed', figures.closed],
      ['Closed once the time to take it further passed', figures.closedAfterWindow],
      [marked('referredToOmbudsman', 'Referred to an ombudsman (where staff recorded it)'), figures.referredToOmbudsman.total],
    ];
    for (const each of figures.referredToOmbudsman.byOmbudsman) summary.push(['Referred to the ' + each.name, each.count]);
    if (figures.acknowledged) summary.splice(1, 0, ['Acknowledged on time', figures.acknowledged.onTime + ' of ' + figures.acknowledged.owed]);
    body.append(table(figures.procedureName + ', ' + figures.from + ' to ' + figures.to, ['Figure', 'Number'], summary));
    body.append(
      table(
        'Stage by stage',
        [
          'Stage',
          'Reached',
          'Responded',
          marked('respondedOnTime', 'On time'),
          'Extended',
          'Taken further',
          'Upheld',
          'Partly upheld',
          'Not upheld',
          'Median working days',
        ],
        figures.stages.map(function (stage) {
          return [
            stage.stageName,
            stage.reached,
            stage.responded,
            stage.respondedOnTime,
            stage.extended,
            stage.escalated,
            stage.outcomes.upheld,
            stage.outcomes['partly-upheld'],
            stage.outcomes['not-upheld'],
            stage.medianWorkingDaysToRespond,
          ];
        }),
      ),
    );
    body.append(
      chart(
        'Received by month',
        'line',
        figures.monthly.map((month) => month.month),
        [{ label: 'Received', data: figures.monthly.map((month) => month.received) }],
      ),
      table(
        'Received by month',
        ['Month', 'Received'],
        figures.monthly.map((month) => [month.month, month.received]),
      ),
      chart(
        'Responded on time, by stage (%)',
        'bar',
        figures.stages.map((stage) => stage.stageName),
        [
          {
            label: 'On time (%)',
            data: figures.stages.map((stage) => (stage.responded === 0 ? 0 : Math.round((100 * stage.respondedOnTime) / stage.responded))),
          },
        ],
      ),
      chart(
        'Still open, by age',
        'bar',
        figures.openByAge.map((band) => band.band),
        [{ label: 'Cases', data: figures.openByAge.map((band) => band.count) }],
      ),
    );
    body.append(
      table(
        'Still open, by age',
        ['Age', 'Cases'],
        figures.openByAge.map(function (band) {
          return [band.band, band.count];
        }),
      ),
    );
  }

  function report(error) {
    say(error instanceof Error ? error.message : 'Something went wrong. Please try again.');
  }

  function wire() {
    for (const button of document.querySelectorAll('[data-view]')) {
      button.addEventListener('click', function () {
        state.view = button.dataset.view;
        state.page = 1;
        showQueue().catch(report);
      });
    }
    document.getElementById('previous').addEventListener('click', function () {
      state.page = Math.max(1, state.page - 1);
      showQueue().catch(report);
    });
    document.getElementById('next').addEventListener('click', function () {
      state.page = Math.min(state.pages, state.page + 1);
      showQueue().catch(report);
    });
    document.getElementById('queue-csv').addEventListener('click', function () {
      download('/api/tab/queue.csv?' + new URLSearchParams({ view: state.view }).toString()).catch(report);
    });
    document.getElementById('figures-form').addEventListener('submit', function (event) {
      event.preventDefault();
      showFigures().catch(report);
    });
    document.getElementById('figures-csv').addEventListener('click', function () {
      if (document.getElementById('figures-form').reportValidity()) download('/api/tab/figures.csv?' + figuresQuery()).catch(report);
    });
    document.getElementById('search').addEventListener('submit', function (event) {
      event.preventDefault();
      const text = document.getElementById('search-text').value;
      // In the request's body: an email or phone number never goes in a URL.
      api('/api/tab/search', { method: 'POST', body: { text: text } })
        .then(function (found) {
          showRows(found.rows, found.problem || found.rows.length + ' found.');
        })
        .catch(report);
    });
  }

  /** With a token: who is signed in, then the queue. */
  async function begin() {
    try {
      const me = await api('/api/tab/me');
      document.getElementById('who').textContent = 'Signed in as ' + me.name;
      const procedures = document.getElementById('figures-procedure');
      for (const procedure of me.procedures) procedures.append(el('option', procedure.name, { value: procedure.id }));
      // This year so far, by default: what an annual report counts (today as it is in London, not in UTC).
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
      document.getElementById('figures-from').value = today.slice(0, 4) + '-01-01';
      document.getElementById('figures-to').value = today;
      wire();
      workspace.hidden = false;
      say('');
      await showQueue();
    } catch (error) {
      report(error);
    }
  }

  /**
   * Outside Teams, in local development only (the server offers it only then): sign in as one of
   * the configured staff. Anywhere else, the page says to open it in Teams.
   */
  async function devSignIn() {
    const offered = await fetch('/api/tab/dev/staff').catch(function () {
      return null;
    });
    if (!offered || !offered.ok) {
      say('This page is the Complaints tab in Microsoft Teams: open it there.');
      return;
    }
    const staff = await offered.json();
    say('Local development: sign in as one of the configured staff.');
    const form = el('form', null, { id: 'dev-sign-in' });
    const choose = el('select', null, { id: 'dev-staff', name: 'id' });
    for (const member of staff) choose.append(el('option', member.name, { value: member.id }));
    form.append(el('label', 'Sign in as', { for: 'dev-staff' }), choose, el('button', 'Sign in', { type: 'submit', class: 'primary' }));
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      fetch('/api/tab/dev/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: choose.value }) })
        .then(function (response) {
          if (!response.ok) throw new Error('That sign-in was refused.');
          return response.json();
        })
        .then(function (answer) {
          state.token = answer.token;
          form.remove();
          return begin();
        })
        .catch(report);
    });
    status.after(form);
  }

  async function start() {
    // Not framed: not in Teams (a top-level page cannot be a tab); teams-js would wait for a host that is not there.
    if (!teams || window.parent === window) {
      await devSignIn();
      return;
    }
    try {
      await teams.app.initialize();
    } catch {
      say('This page is the Complaints tab in Microsoft Teams: open it there.');
      return;
    }
    const context = await teams.app.getContext();
    applyTheme(context.app.theme);
    teams.app.registerOnThemeChangeHandler(applyTheme);
    if (context.app.locale) document.documentElement.lang = context.app.locale;
    try {
      state.token = await teams.authentication.getAuthToken();
    } catch (error) {
      say('Teams could not sign you in to the tab (' + (error && error.message ? error.message : 'no reason given') + '). Ask your administrator.');
      teams.app.notifyFailure({ reason: 'AuthFailed', message: 'No single sign-on token' });
      return;
    }
    teams.app.notifySuccess();
    await begin();
  }

  start();
})();
