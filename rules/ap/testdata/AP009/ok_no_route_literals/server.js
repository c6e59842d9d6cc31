const app = require('express')()
for (const r of require('./routes.json')) app.get(r.path, r.handler)
app.listen(3000)
