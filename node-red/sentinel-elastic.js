module.exports = function (RED) {
    'use strict';

    // One Elasticsearch cluster: where sentinel-bulk sends its documents.
    function SentinelElastic(config) {
        RED.nodes.createNode(this, config);
        this.name = config.name;
        this.host = (config.host || '').trim();
        this.index = (config.index || '').trim() || 'logs-azure_api';
        this.pipeline = (config.pipeline || '').trim() || 'logs-azure_api';
    }

    RED.nodes.registerType('sentinel-elastic', SentinelElastic, {
        credentials: {
            apiKey: { type: 'password' }
        }
    });
};
