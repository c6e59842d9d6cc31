'use strict';
console.log('never runs');
