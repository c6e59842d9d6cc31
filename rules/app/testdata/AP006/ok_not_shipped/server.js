const express = require('express')
