const http = require('http')
http.createServer(() => {}).listen(9999, 'localhost')
