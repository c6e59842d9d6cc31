const app = require('express')()
const server = app.listen(3000)
process.on('SIGINT', () => server.close())
