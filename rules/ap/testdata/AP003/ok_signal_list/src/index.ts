import express from 'express'
const app = express()
const server = app.listen(3000)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close())
}
