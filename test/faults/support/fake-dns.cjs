// Preloaded (NODE_OPTIONS=--require) into a Herald process under test. Host names under `.faults.test` resolve
// to 127.0.0.1 without any query leaving the machine; while the file named by FAULT_DNS_DOWN_FILE exists, they
// fail as a broken resolver does (getaddrinfo EAI_AGAIN). Every other name goes to the system resolver as usual.
// net, tls and http2 read `dns.lookup` at each connect, so replacing it here reaches undici, axios and http2 alike.
const dns = require('node:dns');
const fs = require('node:fs');

const original = dns.lookup;
const downFile = process.env.FAULT_DNS_DOWN_FILE;

dns.lookup = function lookup(hostname, options, callback) {
  const cb = typeof options === 'function' ? options : callback;
  const opts = typeof options === 'function' || options === undefined ? {} : typeof options === 'number' ? { family: options } : options;
  if (typeof hostname !== 'string' || !hostname.endsWith('.faults.test')) return original.call(dns, hostname, options, callback);
  process.nextTick(() => {
    if (downFile && fs.existsSync(downFile)) {
      const err = new Error(`getaddrinfo EAI_AGAIN ${hostname}`);
      err.code = 'EAI_AGAIN';
      err.errno = -3001;
      err.syscall = 'getaddrinfo';
      err.hostname = hostname;
      cb(err);
      return;
    }
    if (opts.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
    else cb(null, '127.0.0.1', 4);
  });
};
