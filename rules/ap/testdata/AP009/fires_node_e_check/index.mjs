import Fastify from 'fastify'
const app = Fastify()
app.get('/ready', async () => 'ok')
await app.listen({ port: 8080, host: '0.0.0.0' })
