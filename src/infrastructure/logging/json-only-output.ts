import type { LoggerService } from '@nestjs/common';

/**
 * The AWS SDK's own setting that silences the notice it prints on standard error, as several lines of plain text,
 * when it runs on a Node.js older than its future releases will need ("versions published after the first week of
 * January 2027 will require node >=22"). The SDK versions locked in package-lock.json run on every Node.js that
 * package.json `engines` allows, so Herald turns the notice off unless the environment sets the setting itself.
 */
export const AWS_SDK_NODE_NOTICE_SETTING = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/**
 * Makes a Herald process write only JSON lines: the AWS SDK's Node.js notice is turned off (above), and Node's
 * process warnings (deprecations, experimental features, a library's `process.emitWarning`), which Node prints as
 * plain text on standard error, become warning lines of `logger`. Call it first, before any AWS client is built.
 */
export function writeOnlyJsonLines(env: NodeJS.ProcessEnv, logger: LoggerService): void {
  env[AWS_SDK_NODE_NOTICE_SETTING] ??= 'true';
  // Node's default printer is itself a 'warning' listener: replacing the listeners replaces the printer.
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    logger.warn({ msg: 'process warning', name: warning.name, code: warning.code, warning: warning.message }, 'Process');
  });
}
