module.exports = function (RED) {
    'use strict';

    // One Entra ID application and one Log Analytics workspace. The flow nodes read these
    // values from here; a value left empty lets the one in the message through.
    function SentinelTenant(config) {
        RED.nodes.createNode(this, config);
        this.name = config.name;
        this.clientId = (config.clientId || '').trim();
        this.tenantId = (config.tenantId || '').trim();
        this.workspaceId = (config.workspaceId || '').trim();
        this.scope = (config.scope || '').trim();
        this.tenantName = (config.tenantName || '').trim();
        this.authorityHost = (config.authorityHost || '').trim();
        this.queryHost = (config.queryHost || '').trim();
        // The workspace under its Azure Resource Manager name, for the Sentinel REST API.
        this.subscriptionId = (config.subscriptionId || '').trim();
        this.resourceGroup = (config.resourceGroup || '').trim();
        this.workspaceName = (config.workspaceName || '').trim();
        this.managementHost = (config.managementHost || '').trim();
    }

    RED.nodes.registerType('sentinel-tenant', SentinelTenant, {
        credentials: {
            privateKeyPem: { type: 'password' },
            certificatePem: { type: 'text' },
            kid: { type: 'text' }
        }
    });
};
