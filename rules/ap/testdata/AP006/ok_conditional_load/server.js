if (process.env.NODE_ENV !== 'production') {
  require('dotenv').config()
}
try { require('@faker-js/faker') } catch (e) {}
const express = require('express')
