// Connectif Web Push worker (tagkit). Enter its public URL in Connectif's Web Push settings.
importScripts("https://cdn.connectif.cloud/scripts/service-worker.js");
