"use strict";
exports.id = 134;
exports.ids = [134];
exports.modules = {

/***/ 5134:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   proxyFetch: () => (/* binding */ proxyFetch)
/* harmony export */ });
/* harmony import */ var _actions_http_client__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4942);
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6752);


const client = new _actions_http_client__WEBPACK_IMPORTED_MODULE_0__/* .HttpClient */ .Qq();
const dispatchers = new Map();
/** undici's fetch through the proxy that @actions/http-client picks for the URL (none for no_proxy). */
async function proxyFetch(url, init) {
    const origin = new URL(url).origin;
    if (!dispatchers.has(origin))
        dispatchers.set(origin, client.getAgentDispatcher(origin));
    const options = { ...init, dispatcher: dispatchers.get(origin) };
    return (await (0,undici__WEBPACK_IMPORTED_MODULE_1__/* .fetch */ .hd)(url, options));
}


/***/ })

};
;