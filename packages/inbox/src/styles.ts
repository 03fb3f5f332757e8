import { css } from 'lit';

/**
 * Everything a page may change is a custom property (--herald-inbox-*) or a part. The defaults inherit the page's
 * font and colour, and meet WCAG AA contrast on a white page.
 */
export const styles = css`
  :host {
    --_accent: var(--herald-inbox-accent, #2457c5);
    --_accent-fg: var(--herald-inbox-accent-contrast, #fff);
    --_bg: var(--herald-inbox-background, #fff);
    --_fg: var(--herald-inbox-color, #1c1e21);
    --_muted: var(--herald-inbox-muted-color, #5b6270);
    --_border: var(--herald-inbox-border-color, #d6d9de);
    --_unread-bg: var(--herald-inbox-unread-background, #eef3fd);
    --_badge-bg: var(--herald-inbox-badge-background, #c4271b);
    --_badge-fg: var(--herald-inbox-badge-color, #fff);
    --_radius: var(--herald-inbox-radius, 0.5rem);
    --_focus: var(--herald-inbox-focus-ring, 2px solid var(--_accent));
    display: inline-block;
    position: relative;
    font-family: var(--herald-inbox-font-family, inherit);
    font-size: var(--herald-inbox-font-size, 1rem);
    color: var(--_fg);
    line-height: 1.4;
  }
  [hidden] {
    display: none !important;
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  :focus-visible {
    outline: var(--_focus);
    outline-offset: 2px;
  }
  .bell {
    position: relative;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    width: var(--herald-inbox-bell-size, 2.5rem);
    height: var(--herald-inbox-bell-size, 2.5rem);
    padding: 0;
    border: 1px solid transparent;
    border-radius: 50%;
    background: var(--herald-inbox-bell-background, transparent);
    color: var(--herald-inbox-bell-color, currentColor);
  }
  .bell:hover {
    background: var(--herald-inbox-bell-hover-background, rgb(0 0 0 / 0.06));
  }
  .bell svg {
    width: 60%;
    height: 60%;
  }
  .badge {
    position: absolute;
    top: -0.15rem;
    inset-inline-end: -0.15rem;
    min-width: 1.25rem;
    height: 1.25rem;
    padding: 0 0.3rem;
    box-sizing: border-box;
    border-radius: 0.625rem;
    background: var(--_badge-bg);
    color: var(--_badge-fg);
    font-size: 0.75rem;
    font-weight: 700;
    line-height: 1.25rem;
    text-align: center;
  }
  .popover {
    position: absolute;
    z-index: var(--herald-inbox-z-index, 1000);
    top: calc(100% + 0.5rem);
    inset-inline-end: 0;
    width: var(--herald-inbox-width, 24rem);
    max-width: calc(100vw - 1rem);
    box-sizing: border-box;
    display: flex;
    flex-direction: column;
    background: var(--_bg);
    color: var(--_fg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: var(--herald-inbox-shadow, 0 8px 28px rgb(0 0 0 / 0.18));
    overflow: hidden;
  }
  .popover.align-start {
    inset-inline-end: auto;
    inset-inline-start: 0;
  }
  @media (max-width: 480px) {
    .popover {
      position: fixed;
      top: 3.5rem;
      inset-inline: 0.5rem;
      width: auto;
      max-width: none;
    }
  }
  .header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
    padding: 0.75rem 1rem 0.25rem;
  }
  h2 {
    margin: 0;
    font-size: 1.05em;
  }
  .icon-button {
    border: 0;
    background: transparent;
    padding: 0.25rem;
    border-radius: 0.25rem;
    color: var(--_muted);
    display: inline-flex;
  }
  .icon-button svg {
    width: 1.1rem;
    height: 1.1rem;
  }
  .tabs {
    display: flex;
    gap: 0.25rem;
    padding: 0 1rem;
    border-bottom: 1px solid var(--_border);
  }
  .tab {
    border: 0;
    border-bottom: 2px solid transparent;
    background: transparent;
    padding: 0.5rem 0.25rem;
    margin-bottom: -1px;
    color: var(--_muted);
  }
  .tab[aria-selected='true'] {
    color: var(--_fg);
    border-bottom-color: var(--_accent);
    font-weight: 600;
  }
  .toolbar {
    display: flex;
    justify-content: flex-end;
    align-items: center;
    gap: 0.5rem;
    padding: 0.5rem 1rem;
    min-height: 1.5rem;
  }
  .status {
    margin-inline-end: auto;
    color: var(--_muted);
    font-size: 0.85em;
  }
  .text-button {
    border: 0;
    background: transparent;
    padding: 0.2rem 0.3rem;
    border-radius: 0.25rem;
    color: var(--_accent);
    font-size: 0.875em;
  }
  .text-button:disabled {
    color: var(--_muted);
    cursor: default;
  }
  .list {
    list-style: none;
    margin: 0;
    padding: 0;
    max-height: var(--herald-inbox-max-height, 28rem);
    overflow-y: auto;
    overscroll-behavior: contain;
  }
  .item {
    display: grid;
    grid-template-columns: 0.5rem 1fr;
    gap: 0.25rem 0.6rem;
    padding: 0.75rem 1rem;
    border-top: 1px solid var(--_border);
  }
  .item.unread {
    background: var(--_unread-bg);
  }
  .dot {
    width: 0.5rem;
    height: 0.5rem;
    margin-top: 0.45rem;
    border-radius: 50%;
  }
  .unread .dot {
    background: var(--_accent);
  }
  .content {
    min-width: 0;
  }
  .item-title {
    margin: 0;
    font-weight: 600;
    font-size: 0.95em;
    overflow-wrap: anywhere;
  }
  .item-body {
    margin: 0.15rem 0 0;
    color: var(--_muted);
    font-size: 0.9em;
    overflow-wrap: anywhere;
    white-space: pre-line;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.75rem;
    margin-top: 0.4rem;
    font-size: 0.85em;
    color: var(--_muted);
  }
  .meta .text-button {
    font-size: inherit;
  }
  .action {
    color: var(--_accent);
    font-weight: 600;
  }
  .empty,
  .notice {
    padding: 2rem 1rem;
    text-align: center;
    color: var(--_muted);
  }
  .sentinel {
    padding: 0.75rem 1rem;
    text-align: center;
    font-size: 0.85em;
    color: var(--_muted);
    border-top: 1px solid var(--_border);
  }
  .preferences {
    padding: 0.5rem 1rem 1rem;
    max-height: var(--herald-inbox-max-height, 28rem);
    overflow-y: auto;
  }
  .preferences p {
    margin: 0.25rem 0 0.75rem;
    color: var(--_muted);
    font-size: 0.9em;
  }
  .preferences h3 {
    margin: 1rem 0 0.25rem;
    font-size: 0.95em;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.9em;
  }
  th,
  td {
    padding: 0.35rem 0.25rem;
    text-align: center;
    border-bottom: 1px solid var(--_border);
  }
  th[scope='row'],
  thead th:first-child {
    text-align: start;
    font-weight: 500;
  }
  .category-note {
    display: block;
    color: var(--_muted);
    font-size: 0.85em;
    font-weight: 400;
  }
  .switches label {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    padding: 0.2rem 0;
  }
  input[type='checkbox'] {
    accent-color: var(--_accent);
    width: 1rem;
    height: 1rem;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;
