const { faker } = require('@faker-js/faker')
