/**
 * Settings that hold credentials. Any of them may be given as a reference that is read from AWS at start
 * instead of the value itself (`ssm:/herald/twilio-token`, `secretsmanager:herald/fcm#private_key`); other
 * settings are always taken as written. A provider that adds a credential adds its setting's name here.
 */
export const SECRET_SETTINGS = [
  'DATABASE_URL',
  'SMTP_URL',
  'SMTP_PASSWORD',
  'TWILIO_AUTH_TOKEN',
  'WEBHOOK_TWILIO_AUTH_TOKEN',
  'SMS_INBOUND_TWILIO_AUTH_TOKEN',
  'SMS_INBOUND_WEBHOOK_SECRET',
  'SENDGRID_API_KEY',
  'VONAGE_API_SECRET',
  'VONAGE_SIGNATURE_SECRET',
  'FCM_ACCESS_TOKEN',
  'FCM_SERVICE_ACCOUNT_JSON',
  'APNS_PRIVATE_KEY',
  'VAPID_PRIVATE_KEY',
  'CHAT_WEBHOOK_SECRET',
  'CUSTOMER_WEBHOOK_SECRET',
  'LINK_SIGNING_SECRET',
  'TRACKING_SECRET',
  'INBOX_TOKEN_SECRET',
  'HERALD_BOOTSTRAP_API_KEY',
  'DATA_ENCRYPTION_KEYS',
  'SENTRY_DSN',
] as const;
