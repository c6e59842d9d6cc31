'use strict';
// Exits 0 when the server answers /health.
require('http')
  .get({ host: '127.0.0.1', port: 3000, path: '/health' }, (r) => process.exit(r.statusCode === 200 ? 0 : 1))
  .on('error', () => process.exit(1));
