const express = require('express')
const { faker } = require('@faker-js/faker/locale/de')
