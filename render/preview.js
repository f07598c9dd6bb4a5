/* preview.js: placeholder */
