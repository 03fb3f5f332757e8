import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import startAwsSesV2Local from 'aws-ses-v2-local';
import { request } from 'undici';

/** A mail as aws-ses-v2-local keeps it and lists it at GET /store. */
export interface StoredSesEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: Array<{ name: string; value: string }>;
  at: number;
}

export interface SesEmulator {
  /** The endpoint to give the SES client (SES_ENDPOINT). */
  url: string;
  /** What the emulator has received, read through its own HTTP API. */
  stored(): Promise<StoredSesEmail[]>;
  close(): Promise<void>;
}

/**
 * aws-ses-v2-local, an SES emulator written by others (SES v1 and v2 SendEmail, received mail at GET /store), on a
 * free loopback port in this process.
 */
export async function startSesEmulator(): Promise<SesEmulator> {
  const server: Server = await startAwsSesV2Local({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    stored: async () => {
      const res = await request(`${url}/store`);
      if (res.statusCode !== 200) throw new Error(`GET /store answered ${res.statusCode}`);
      return ((await res.body.json()) as { emails: StoredSesEmail[] }).emails;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
