// The Preview tab of the sentinel-rows, sentinel-bulk and sentinel-bulk-result edit dialogs, wired
// once for the three (each node's .html loads this file): a Properties and a Preview tab
// (RED.tabs, as the function node builds its tabs), and the preview itself (preview.js, the
// node's WebAssembly in a worker) attached to the Preview tab.

(function () {
    'use strict';
    if (window.SentinelElasticEditor) return;

    // o: {kind ('rows', 'bulk' or 'bulk-result'), settings (a function giving the dialog's current
    // settings), follow (a selector of the inputs whose changes re-run the preview)}.
    function previewTabs(node, type, o) {
        const preview = '#' + type + '-tab-preview';
        const tabs = RED.tabs.create({
            id: type + '-tabs',
            onchange: function (tab) {
                $('#' + type + '-tabs-content').children().hide();
                $('#' + tab.id).show();
                if (tab.id === type + '-tab-preview' && node._sentinelPreview) node._sentinelPreview.run();
            }
        });
        tabs.addTab({ id: type + '-tab-properties', iconClass: 'fa fa-cog', label: node._(type + '.label.properties') });
        tabs.addTab({ id: type + '-tab-preview', iconClass: 'fa fa-eye', label: node._(type + '.label.preview') });
        // The same WebAssembly as the node, from this package's resources/ (see preview.js).
        node._sentinelPreview = null;
        // From the editor's own address (this file may be loaded as a script of its own, whose
        // address a relative import would start from).
        import(new URL('resources/node-red-contrib-sentinel-elastic/preview.js', document.baseURI).href).then(function (module) {
            node._sentinelPreview = module.attach({
                nodeId: node.id,
                kind: o.kind,
                container: $(preview)[0],
                settings: o.settings,
                t: function (key) { return node._(type + '.preview.' + key); }
            });
            if ($(preview).is(':visible')) node._sentinelPreview.run();
        }, function (err) {
            $(preview).text(String((err && err.message) || err));
        });
        if (o.follow) {
            // A setting changed in the dialog: the preview follows it.
            $(o.follow).on('change', function () {
                if (node._sentinelPreview && $(preview).is(':visible')) node._sentinelPreview.run();
            });
        }
    }

    function closePreview(node) {
        if (node._sentinelPreview) node._sentinelPreview.close();
        delete node._sentinelPreview;
    }

    window.SentinelElasticEditor = { previewTabs: previewTabs, closePreview: closePreview };
})();
