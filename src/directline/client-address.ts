/**
 * How the client's address reaches a turn on the self-hosted channel: as an opaque keyed digest
 * in `channelData.requester`, set by the server on the activity it runs (never kept in the
 * transcript, and never taken from the client: the channel drops any channelData it sends but
 * its activity id). No framework imports, so the dialogs may read it.
 */

/** The service URL that marks a conversation reference as belonging to the self-hosted channel. */
export const SELF_HOSTED_SERVICE_URL = 'https://self-hosted-directline.invalid/';

/** The shape of a digest `DirectLineTokens.requesterOf` makes. */
const ADDRESS_KEY = /^addr\.[\w-]{22}$/;

/** The client address's digest on an activity from the self-hosted channel; null from any other (Azure's Direct Line passes clients' channelData on). */
export function addressKeyOf(activity: { readonly serviceUrl?: string; readonly channelData?: unknown }): string | null {
  if (activity.serviceUrl !== SELF_HOSTED_SERVICE_URL) return null;
  const requester: unknown = (activity.channelData as { requester?: unknown } | undefined)?.requester;
  return typeof requester === 'string' && ADDRESS_KEY.test(requester) ? requester : null;
}
