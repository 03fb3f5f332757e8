/**
 * The shapes of the names a client chooses, checked the same way wherever they arrive (request bodies,
 * path parameters, headers, the event rules document).
 */

/** Template and topic keys: 1-128 lower-case letters, digits, ".", "_", ":" or "-". */
export const KEY_PATTERN = /^[a-z0-9][a-z0-9_.:-]{0,127}$/;

/** Category names: 1-64 lower-case letters, digits, ".", "_" or "-". */
export const CATEGORY_NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** Locales: a BCP 47 language tag such as en or fr-CA. */
export const LOCALE_PATTERN = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;

/** Idempotency keys and user ids: 1-200 printable ASCII characters, no spaces. */
export const PRINTABLE_ID_PATTERN = /^[\x21-\x7e]{1,200}$/;
