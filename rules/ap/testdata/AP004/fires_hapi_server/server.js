'use strict'
const Hapi = require('@hapi/hapi')

const init = async () => {
  const server = Hapi.server({ port: 3000, host: 'localhost' })
  await server.start()
}
init()
