/**
 * The part of Microsoft's Adaptive Cards library the card tests use. Its ES module build does not
 * load in Node (extensionless imports), so the tests load the UMD bundle, whose bundled types
 * are not a module; this declares what is used from it.
 */
declare module 'adaptivecards/dist/adaptivecards.js' {
  export class Version {
    readonly major: number;
    readonly minor: number;
    toString(): string;
  }
  export const Versions: { readonly v1_5: Version };
  export class SerializationContext {
    constructor(targetVersion?: Version);
    readonly eventCount: number;
    getEventAt(index: number): { readonly message: string };
  }
  export class AdaptiveCard {
    version: Version;
    parse(source: unknown, context?: SerializationContext): void;
    validateProperties(): { readonly validationEvents: readonly { readonly message: string }[] };
  }
}
