package io.visca.gateway.registry.team.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.visca.gateway.contracts.event.ProviderChanged;
import io.visca.gateway.contracts.provider.KeyLimits;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.registry.apikey.repository.ApiKeyRepository;
import io.visca.gateway.registry.outbox.ChangeLog;
import io.visca.gateway.registry.outbox.OutboxRelay;
import io.visca.gateway.registry.policy.service.Budgets;
import io.visca.gateway.registry.team.mapping.TeamMapper;
import io.visca.gateway.registry.team.mapping.TeamPatch;
import io.visca.gateway.registry.team.mapping.TeamView;
import io.visca.gateway.registry.team.repository.TeamEntity;
import io.visca.gateway.registry.team.repository.TeamRepository;

/**
 * Teams: limits counted across all their keys. Every change is a registry change published like a key change
 * ({@code $api-keys}, {@code api_keys_changed}: teams are part of key policy), so the routers take a new snapshot.
 * A team is deleted only while no active key names it (409 {@code team_in_use} otherwise: move or revoke the keys
 * first, so no key loses its team's limits by surprise); revoked keys just lose the reference.
 */
@ApplicationScoped
public class TeamService {

    private final TeamRepository teams;
    private final ApiKeyRepository keys;
    private final ChangeLog changes;
    private final OutboxRelay relay;
    private final Budgets budgets;

    TeamService(TeamRepository teams, ApiKeyRepository keys, ChangeLog changes, OutboxRelay relay, Budgets budgets) {
        this.teams = teams;
        this.keys = keys;
        this.changes = changes;
        this.relay = relay;
        this.budgets = budgets;
    }

    /** @throws ApiException 400 listing the violations, 409 {@code team_exists} */
    public Uni<TeamView> create(TeamPatch patch) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        TeamEntity entity = new TeamEntity();
        entity.name = patch.name();
        entity.createdAt = now;
        entity.updatedAt = now;
        patch.applyTo(entity);
        patch.violations().throwIfAny();
        return Panache.withTransaction(() -> changes.begin()
                .chain(revision -> teams.findById(entity.name).chain(existing -> {
                    if (existing != null) {
                        throw ApiException.conflict("team_exists", "name", "a team named '" + entity.name
                                + "' exists already; change it with PATCH /api/teams/" + entity.name);
                    }
                    return teams.persist(entity).call(() -> changes.record(ProviderChanged.API_KEYS_KEY,
                            ChangeLog.API_KEYS_CHANGED, revision));
                })))
                .invoke(relay::trigger)
                .map(TeamMapper::toApiModel);
    }

    public Uni<List<TeamView>> list() {
        return Panache.withSession(() -> teams.listByName())
                .map(rows -> rows.stream().map(TeamMapper::toApiModel).toList());
    }

    /** Every team with, for those with a budget, its spend in the current period (the dashboard's list). */
    public Uni<List<TeamView>> listWithBudgets() {
        Instant now = Instant.now();
        return Panache.withSession(() -> teams.listByName()).chain(rows -> {
            Map<String, KeyLimits> limits = new HashMap<>();
            rows.forEach(team -> limits.put(scope(team.name), TeamMapper.limits(team)));
            return budgets.all(limits, now).map(views -> rows.stream()
                    .map(team -> TeamMapper.toApiModel(team).withBudget(views.get(scope(team.name)))).toList());
        });
    }

    /** @throws ApiException 404 {@code team_not_found} */
    public Uni<TeamView> get(String name) {
        Instant now = Instant.now();
        return Panache.withSession(() -> teams.findById(name)).map(team -> found(team, name))
                .chain(team -> withBudget(team, now));
    }

    /**
     * Applies a merge patch; one that changes nothing records no change (same revision, same {@code updated_at}).
     *
     * @throws ApiException 404 {@code team_not_found}, 400 listing the violations
     */
    public Uni<TeamView> update(String name, TeamPatch patch) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Panache.withTransaction(() -> changes.begin()
                .chain(revision -> teams.findById(name).map(team -> found(team, name)).call(team -> {
                    TeamView before = TeamMapper.toApiModel(team);
                    patch.applyTo(team);
                    patch.violations().throwIfAny();
                    if (TeamMapper.toApiModel(team).equals(before)) {
                        return Uni.createFrom().voidItem();
                    }
                    team.updatedAt = now;
                    return changes.record(ProviderChanged.API_KEYS_KEY, ChangeLog.API_KEYS_CHANGED, revision);
                })))
                .invoke(relay::trigger)
                .chain(team -> withBudget(team, Instant.now()));
    }

    /** @throws ApiException 404 {@code team_not_found}, 409 {@code team_in_use} while active keys name it */
    public Uni<Void> delete(String name) {
        return Panache.withTransaction(() -> changes.begin()
                .chain(revision -> teams.findById(name).map(team -> found(team, name))
                        .call(team -> keys.countActiveInTeam(name).invoke(count -> {
                            if (count > 0) {
                                throw ApiException.conflict("team_in_use", "name", "team '" + name + "' has "
                                        + count + " active key" + (count == 1 ? "" : "s")
                                        + "; move them to another team (PATCH /api/keys/{id} with \"team\") or "
                                        + "revoke them first");
                            }
                        }))
                        .call(teams::delete)
                        .call(() -> changes.record(ProviderChanged.API_KEYS_KEY, ChangeLog.API_KEYS_CHANGED,
                                revision))))
                .invoke(relay::trigger)
                .replaceWithVoid();
    }

    private Uni<TeamView> withBudget(TeamEntity team, Instant now) {
        return budgets.of(scope(team.name), TeamMapper.limits(team), now).map(TeamMapper.toApiModel(team)::withBudget);
    }

    /** The team's scope in billing's quota store. */
    private static String scope(String name) {
        return "team:" + name;
    }

    private static TeamEntity found(TeamEntity team, String name) {
        if (team == null) {
            throw ApiException.notFound("team_not_found", "no team named '" + name + "'");
        }
        return team;
    }
}
