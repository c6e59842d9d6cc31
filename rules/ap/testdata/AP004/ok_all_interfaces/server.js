const app = require('express')()
app.listen(3000, '0.0.0.0')
const db = { host: 'localhost', port: 5432 }
