export function postgresUserIds(): { uid: number; gid: number } | null;

export const THROWAWAY_SETTINGS: string[];

export interface EmbeddedPostgresOptions {
  databaseDir: string;
  port: number;
  /** Keep the data folder when the server stops. */
  persistent: boolean;
  /** Create the cluster first (a fresh data folder). */
  initialise: boolean;
  /** `name=value` server settings. */
  settings?: string[];
  /** As root: a folder that the user postgres is given (the data folder's parent). */
  ownedFolder?: string;
  onError?: (error: unknown) => void;
}

export interface EmbeddedPostgresServer {
  /** The `postgres` database on 127.0.0.1, as user postgres. */
  adminUrl: string;
  stop(): Promise<void>;
}

export function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer>;
