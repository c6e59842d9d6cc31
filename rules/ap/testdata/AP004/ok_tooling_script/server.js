const app = require('express')()
app.listen(3000)
