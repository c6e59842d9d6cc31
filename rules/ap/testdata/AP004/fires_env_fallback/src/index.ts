import http from 'http'
import { app } from './app'

const PORT = Number(process.env.PORT ?? 3000)
const HOST = process.env.HOST || 'localhost'

http.createServer(app).listen(PORT, HOST)
