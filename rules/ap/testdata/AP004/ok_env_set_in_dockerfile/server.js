const app = require('express')()
const host = process.env.HOST || 'localhost'
app.listen(3000, host)
