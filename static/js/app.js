if (window.DKFDS && window.DKFDS.init) { window.DKFDS.init(); }
