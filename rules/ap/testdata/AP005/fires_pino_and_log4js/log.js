const pino = require('pino')
const log4js = require('log4js')
const logger = pino(pino.destination('/var/log/app.log'))
log4js.configure({
  appenders: { everything: { type: 'dateFile', filename: 'all.log' } },
  categories: { default: { appenders: ['everything'], level: 'debug' } },
})
module.exports = logger
