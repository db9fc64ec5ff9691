importScripts("http://localhost:8000/sw/connectif.js?v=1\u0026x=2");
