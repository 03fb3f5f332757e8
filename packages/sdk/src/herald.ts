import createClient from 'openapi-fetch';
import type { paths } from './generated/herald-api.js';
import { Analytics, ApiKeys, AuditLog, Categories, DeadLetters, Inbox, Notifications, Preferences, Providers, Recipients, RejectedEvents, Suppressions, Templates, Topics, Workflows } from './resources.js';
import { DEFAULT_RETRY, fetchWithRetries } from './retry.js';

export interface HeraldOptions {
  /** An API key (`npm run cli -- api-key create`), sent as a bearer token. */
  apiKey: string;
  /** Where Herald serves its API, e.g. `https://herald.example.com`. */
  baseUrl: string;
  /** Default: the global fetch. */
  fetch?: (request: Request) => Promise<Response>;
  /** Retries of a retryable call after its first attempt (default 2; 0 turns them off). */
  maxRetries?: number;
  /** Backoff of the retries: first cap and largest wait, in milliseconds (default 500 and 30,000). */
  retryDelay?: { baseMs?: number; maxMs?: number };
}

export class Herald {
  readonly notifications: Notifications;
  readonly recipients: Recipients;
  readonly preferences: Preferences;
  readonly categories: Categories;
  readonly templates: Templates;
  readonly workflows: Workflows;
  readonly topics: Topics;
  readonly inbox: Inbox;
  readonly deadLetters: DeadLetters;
  readonly suppressions: Suppressions;
  readonly rejectedEvents: RejectedEvents;
  readonly analytics: Analytics;
  readonly providers: Providers;
  readonly apiKeys: ApiKeys;
  readonly auditLog: AuditLog;

  constructor(options: HeraldOptions) {
    if (!options.apiKey) throw new TypeError('Herald: apiKey is required');
    if (!options.baseUrl) throw new TypeError('Herald: baseUrl is required');
    const maxRetries = options.maxRetries ?? DEFAULT_RETRY.maxRetries;
    if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new TypeError('Herald: maxRetries must be a whole number, 0 or more');
    // Called through a function so that the browser's fetch keeps its `this`.
    const send = options.fetch ?? ((request: Request) => globalThis.fetch(request));
    const client = createClient<paths>({
      baseUrl: options.baseUrl,
      headers: { Authorization: `Bearer ${options.apiKey}` },
      fetch: fetchWithRetries(send, {
        maxRetries,
        baseDelayMs: options.retryDelay?.baseMs ?? DEFAULT_RETRY.baseDelayMs,
        maxDelayMs: options.retryDelay?.maxMs ?? DEFAULT_RETRY.maxDelayMs,
      }),
    });
    this.notifications = new Notifications(client);
    this.recipients = new Recipients(client);
    this.preferences = new Preferences(client);
    this.categories = new Categories(client);
    this.templates = new Templates(client);
    this.workflows = new Workflows(client);
    this.topics = new Topics(client);
    this.inbox = new Inbox(client);
    this.deadLetters = new DeadLetters(client);
    this.suppressions = new Suppressions(client);
    this.rejectedEvents = new RejectedEvents(client);
    this.analytics = new Analytics(client);
    this.providers = new Providers(client);
    this.apiKeys = new ApiKeys(client);
    this.auditLog = new AuditLog(client);
  }
}
