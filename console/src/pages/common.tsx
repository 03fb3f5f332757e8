import type { ComponentChildren } from 'preact';
import { en } from '../strings';

export function ErrorNote({ error }: { error: string | null }) {
  return error ? (
    <p class="error" role="alert">
      {en.error(error)}
    </p>
  ) : null;
}

export function Status({ status }: { status: string }) {
  return <span class={`status status-${status}`}>{status}</span>;
}

export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : en.timeline.none;
}

export function recipientOf(recipient: Record<string, unknown>): string {
  return ['userId', 'email', 'phone'].map((k) => recipient[k]).filter((v): v is string => typeof v === 'string').join(' · ') || en.timeline.none;
}

export function Field({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <label class="field">
      <span>{label}</span>
      {children}
    </label>
  );
}
