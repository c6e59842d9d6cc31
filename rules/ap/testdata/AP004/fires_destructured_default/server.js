const app = require('./app')
const { PORT = 3000, HOST = '::1' } = process.env
app.listen(PORT, HOST)
