const fs = require('fs')
const path = require('path')
const morgan = require('morgan')
const app = require('express')()
const accessLogStream = fs.createWriteStream(path.join(__dirname, 'access.log'), { flags: 'a' })
app.use(morgan('combined', { stream: accessLogStream }))
module.exports = app
