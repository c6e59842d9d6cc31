const { Worker } = require('bullmq')
new Worker('jobs', async job => job.data)
