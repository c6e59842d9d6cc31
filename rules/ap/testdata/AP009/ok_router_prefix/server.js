const app = require('express')()
app.use('/api/v1', require('./routes'))
app.listen(3000)
