console.log(require('is-number')(1));
