const app = require('express')()
app.get('/health', (req, res) => res.send('ok'))
app.get('/api/users', (req, res) => res.json([]))
app.listen(3000)
