/** The calls an SNS subscriber makes back to SNS: fetch a signing certificate, confirm a subscription. */
export abstract class SnsEndpoint {
  /** The PEM certificate at a (trusted) SigningCertURL. */
  abstract certificate(url: string): Promise<string>;
  abstract confirmSubscription(subscribeUrl: string): Promise<void>;
}
