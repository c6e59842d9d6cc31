require('dotenv').config()
