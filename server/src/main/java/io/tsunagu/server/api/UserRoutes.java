package io.tsunagu.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tsunagu.server.fleet.ApiUsers;
import io.tsunagu.server.fleet.CreatedUser;
import io.tsunagu.server.fleet.Principal;
import io.tsunagu.server.fleet.Role;
import java.util.Locale;

/** API users: an admin creates users with a role and hands out their token; anyone may ask who they are. */
public final class UserRoutes implements ApiServer.Routes {
    private final ApiUsers users;
    private ApiServer api;

    public UserRoutes(ApiUsers users) {
        this.users = users;
    }

    @Override
    public void register(HttpRouting.Builder routing, ApiServer api) {
        this.api = api;
        routing.post("/api/v1/users", this::create);
        routing.get("/api/v1/me", this::me);
    }

    private void create(ServerRequest req, ServerResponse res) {
        Principal principal = api.principal(req);
        if (principal.role() != Role.ADMIN) {
            throw ApiException.forbidden("only an admin may create API users");
        }
        ObjectNode body = api.body(req);
        String name = body.path("name").asText("");
        if (name.isBlank()) {
            throw ApiException.badRequest("invalid_body", "field 'name' is required (a non-empty string)");
        }
        String roleText = body.path("role").asText("");
        Role role;
        try {
            role = Role.valueOf(roleText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(
                    "invalid_body", "field 'role' must be one of admin, operator, owner; got '" + roleText + "'");
        }
        CreatedUser created = users.create(name, role);
        ObjectNode out = principalJson(created.principal());
        out.put("token", created.token());
        api.sendJson(res, 201, out);
    }

    private void me(ServerRequest req, ServerResponse res) {
        api.sendJson(res, 200, principalJson(api.principal(req)));
    }

    private ObjectNode principalJson(Principal principal) {
        return api.mapper()
                .createObjectNode()
                .put("name", principal.name())
                .put("role", principal.role().name().toLowerCase(Locale.ROOT));
    }
}
