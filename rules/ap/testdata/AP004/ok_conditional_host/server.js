const app = require('express')()
const host = process.env.NODE_ENV === 'production' ? '0.0.0.0' : 'localhost'
app.listen(3000, host)
