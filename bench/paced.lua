-- SPDX-License-Identifier: GPL-3.0-or-later
-- Paces each connection to one request every 5 ms, so a latency probe does not
-- itself become load.
function delay()
  return 5
end
