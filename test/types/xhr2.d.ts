/** xhr2 ships no types: it is an XMLHttpRequest for Node, which Microsoft's Direct Line client needs there. */
declare module 'xhr2' {
  const XMLHttpRequest: typeof globalThis.XMLHttpRequest;
  export default XMLHttpRequest;
}
