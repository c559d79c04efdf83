// Starts the NHS.UK frontend components (header menu, buttons, details).
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();
