/*
 * The channel tab's configuration page: Teams shows it when the tab is added to a channel. There
 * is nothing to choose (the tab shows the whole queue to the complaints team), so it says what
 * the tab is and tells Teams where the tab lives as soon as it is saved.
 */
(function () {
  'use strict';

  const teams = window.microsoftTeams;
  const status = document.getElementById('status');

  async function start() {
    if (!teams) return;
    try {
      await teams.app.initialize();
    } catch {
      status.textContent = 'This page is part of the Complaints app in Microsoft Teams: add the tab there.';
      return;
    }
    const home = new URL('/tab/', window.location.href).toString();
    teams.pages.config.registerOnSaveHandler(function (saveEvent) {
      teams.pages.config
        .setConfig({ entityId: 'complaints-queue', contentUrl: home, websiteUrl: home, suggestedDisplayName: 'Complaints' })
        .then(function () {
          saveEvent.notifySuccess();
        })
        .catch(function (error) {
          saveEvent.notifyFailure(error && error.message ? error.message : 'The tab could not be saved');
        });
    });
    teams.pages.config.setValidityState(true);
    teams.app.notifySuccess();
    status.textContent = 'Select Save to add the Complaints tab: the complaints team will see the queue here.';
  }

  start();
})();
