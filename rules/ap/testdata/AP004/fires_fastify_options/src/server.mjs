import Fastify from 'fastify'

const fastify = Fastify({ logger: true })
fastify.get('/', async () => ({ hello: 'world' }))
await fastify.listen({
  port: 3000,
  host: 'localhost',
})
